package io.errand.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The metrics binder reads an Errand through its API only and shows one type. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.micrometer");

  @Test
  void seesOnlyCoresApi() {
    noClasses().that().resideInAPackage("io.errand.micrometer..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.memory..", "io.errand.spi..", "io.errand.server..")
        .check(CLASSES);
  }

  @Test
  void showsOneType() {
    classes().that().resideInAPackage("io.errand.micrometer..").and().arePublic()
        .and().areTopLevelClasses()
        .should().haveNameMatching(
            "io\\.errand\\.micrometer\\.(ErrandMetrics)")
        .check(CLASSES);
  }
}
