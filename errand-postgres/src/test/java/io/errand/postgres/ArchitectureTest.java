package io.errand.postgres;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store is core's SPI implemented on the shared SQL layer: it sees no engine, no
 * other store, and shows users one type, {@link PostgresStore}.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.postgres");

  @Test
  void seesOnlyCoresApiSpiAndTheSqlLayer() {
    noClasses().that().resideInAPackage("io.errand.postgres..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.memory..", "io.errand.sqlite..", "io.errand.server..")
        .check(CLASSES);
  }

  @Test
  void showsUsersOneType() {
    classes().that().resideInAPackage("io.errand.postgres..").and().arePublic()
        .and().areTopLevelClasses()
        .should().haveNameMatching(
            "io\\.errand\\.postgres\\.(PostgresStore)")
        .check(CLASSES);
  }
}
