package io.errand.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API is mountable by any application: it works through core's API, sees nothing of
 * the {@code errand} program (config, handlers, CLI) nor of a particular store, and shows the
 * server, the servlet and the small kit that routes of a plugin use. It holds no plugin's code:
 * git-sync's routes are the errand program's.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.http");

  @Test
  void seesOnlyTheApiCommonAndMetrics() {
    noClasses().that().resideInAPackage("io.errand.http..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.engine..",
            "io.errand.memory..", "io.errand.spi..", "io.errand.sqlite..", "io.errand.postgres..",
            "io.errand.server.config..", "io.errand.server.handler..", "io.errand.server.serve..",
            "io.errand.server.cli..", "io.errand.server.git..", "io.errand.server.process..")
        .check(CLASSES);
  }

  @Test
  void seesNoLoggingImplementation() {
    noClasses().that().resideInAPackage("io.errand.http..")
        .should().dependOnClassesThat().resideInAnyPackage("ch.qos.logback..",
            "org.apache.logging..", "info.picocli..")
        .check(CLASSES);
  }

  @Test
  void showsTheServerAndTheRouteKit() {
    classes().that().resideInAPackage("io.errand.http").and().arePublic()
        .and().areTopLevelClasses()
        .should().haveNameMatching(
            "io\\.errand\\.http\\.(ApiServer|ApiServlet|ApiRoutes|RouteKit|ApiRequest|Body"
                + "|ApiException|SafeArgs)")
        .check(CLASSES);
  }

  @Test
  void holdsNoGitSyncCode() {
    // git-sync's routes are the errand program's git-sync plugin's (errand-server), written
    // against the route kit like any plugin's.
    noClasses().should().resideInAPackage("io.errand.http.gitsync..").check(CLASSES);
    noClasses().should().haveSimpleNameStartingWith("Sync").check(CLASSES);
  }
}
