package io.errand.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shared SQL layer sees only core's API and SPI, and none of the stores built on it. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.jdbc");

  @Test
  void seesOnlyCoresApiAndSpi() {
    noClasses().that().resideInAPackage("io.errand.jdbc..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.memory..", "io.errand.sqlite..", "io.errand.postgres..",
            "io.errand.server..")
        .check(CLASSES);
  }
}
