package io.errand.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The bottom of the server's stack: it sees core's API and nothing of what is built on it. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.common");

  @Test
  void seesOnlyCoresApi() {
    noClasses().that().resideInAPackage("io.errand.common..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.memory..", "io.errand.spi..", "io.errand.server..",
            "io.errand.sqlite..", "io.errand.postgres..")
        .check(CLASSES);
  }
}
