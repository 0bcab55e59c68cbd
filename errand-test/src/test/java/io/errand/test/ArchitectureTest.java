package io.errand.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The test kit is built on what users have: core's API and the memory store, no engine hook
 * and no store SPI.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.test");

  @Test
  void usesOnlyWhatUsersHave() {
    noClasses().that().resideInAPackage("io.errand.test..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.spi..", "io.errand.jdbc..", "io.errand.server..")
        .check(CLASSES);
  }

  @Test
  void showsItsExtensionAndItsErrand() {
    classes().that().resideInAPackage("io.errand.test..").and().arePublic()
        .and().areTopLevelClasses()
        .should().haveNameMatching(
            "io\\.errand\\.test\\.(ErrandExtension|ExecutionMode|TestErrand)")
        .check(CLASSES);
  }
}
