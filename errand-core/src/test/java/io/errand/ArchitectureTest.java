package io.errand;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.errand.api.Errand;
import io.errand.engine.EngineSettings;
import io.errand.engine.Engines;
import org.junit.jupiter.api.Test;

/**
 * The package structure of core, enforced on its compiled classes: users touch {@code api};
 * stores implement {@code spi}; the engine is internal, reached from {@code api} only by the
 * builder, through its one factory; the memory store is a store like any other.
 */
class ArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.api", "io.errand.spi", "io.errand.engine", "io.errand.memory");

  @Test
  void spiSeesOnlyTheApi() {
    noClasses().that().resideInAPackage("io.errand.spi..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.errand.engine..", "io.errand.memory..")
        .check(CORE);
  }

  @Test
  void theMemoryStoreIsAStoreLikeAnyOther() {
    noClasses().that().resideInAPackage("io.errand.memory..")
        .should().dependOnClassesThat().resideInAPackage("io.errand.engine..")
        .check(CORE);
  }

  @Test
  void apiReachesTheEngineOnlyFromTheBuilderThroughItsFactory() {
    noClasses().that().resideInAPackage("io.errand.api..")
        .and().doNotBelongToAnyOf(Errand.Builder.class)
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.memory..")
        .check(CORE);
    classes().that().resideInAPackage("io.errand.engine..")
        .and().areNotAssignableTo(Engines.class).and().areNotAssignableTo(EngineSettings.class)
        .should().onlyHaveDependentClassesThat().resideInAPackage("io.errand.engine..")
        .check(CORE);
  }

  @Test
  void theEngineShowsOnlyItsFactoryAndSettings() {
    classes().that().resideInAPackage("io.errand.engine..").and().arePublic()
        .and().areTopLevelClasses()
        .should().haveNameMatching(
            "io\\.errand\\.engine\\.(Engines|EngineSettings)")
        .check(CORE);
  }

  /**
   * No package cycle, but for one join made on purpose: the builder in {@code api} takes a store
   * ({@code spi}), makes the default one ({@code memory}) and starts the engine.
   */
  @Test
  void packagesHaveNoCyclesButTheBuilderStartingTheEngine() {
    slices().matching("io.errand.(*)..").should().beFreeOfCycles()
        .ignoreDependency(equivalentTo(Errand.Builder.class), resideInAnyPackage(
            "io.errand.engine..", "io.errand.memory..", "io.errand.spi.."))
        .check(CORE);
  }
}
