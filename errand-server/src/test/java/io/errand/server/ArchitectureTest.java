package io.errand.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages in layers: {@code io.errand.common} at the bottom, then
 * {@code process}, then {@code handler} and {@code config} side by side, the plugin SPI
 * ({@code plugin}) on the handler SPI and the HTTP route kit, {@code serve} assembling them with
 * the HTTP API, and the command line on top. The client commands ({@code cli}) speak HTTP to a
 * server and share nothing with it. git-sync ({@code git..}, with its routes in
 * {@code git.http}) is a plugin: it uses these layers, none of them names it.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.errand.server");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.errand.server.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void nothingReachesIntoTheEngine() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.errand.engine..")
        .check(CLASSES);
  }

  @Test
  void processControlSeesNoOtherServerPackage() {
    noClasses().that().resideInAPackage("io.errand.server.process..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.server.config..",
            "io.errand.server.handler..", "io.errand.server.git..", "io.errand.server.serve..",
            "io.errand.server.cli..", "io.errand.http..", "io.errand.server.plugin..")
        .check(CLASSES);
  }

  @Test
  void configAndHandlersDoNotSeeEachOther() {
    noClasses().that().resideInAPackage("io.errand.server.config..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.server.handler..",
            "io.errand.server.git..", "io.errand.server.serve..", "io.errand.server.cli..",
            "io.errand.http..")
        .check(CLASSES);
    noClasses().that().resideInAnyPackage("io.errand.server.handler..",
            "io.errand.server.git")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.server.config..",
            "io.errand.server.serve..", "io.errand.server.cli..", "io.errand.http..",
            "io.errand.server.plugin..")
        .check(CLASSES);
  }

  @Test
  void noGenericLayerNamesGitSync() {
    noClasses().that().resideOutsideOfPackage("io.errand.server.git..")
        .should().dependOnClassesThat().resideInAPackage("io.errand.server.git..")
        .check(CLASSES);
  }

  @Test
  void gitSyncsRoutesUseTheRouteKitOnly() {
    // The compiler keeps them to the kit's public types; this keeps Javalin out of their reach.
    noClasses().that().resideInAPackage("io.errand.server.git.http..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..",
            "io.errand.server.config..", "io.errand.server.serve..", "io.errand.server.cli..",
            "io.errand.server.process..", "io.errand.server.git", "io.errand.server.git.cli..")
        .check(CLASSES);
  }

  @Test
  void thePluginSpiStandsOnTheHandlerSpiAndTheRouteKitOnly() {
    noClasses().that().resideInAPackage("io.errand.server.plugin..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.server.config..",
            "io.errand.server.serve..", "io.errand.server.cli..", "io.errand.server.git..",
            "io.errand.server.process..", "io.javalin..",
            "info.picocli..")
        .check(CLASSES);
  }

  @Test
  void gitSyncsCommandsUseTheClientKitOnly() {
    noClasses().that().resideInAPackage("io.errand.server.git.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.server.config..",
            "io.errand.server.serve..", "io.errand.server.handler..", "io.errand.http..",
            "io.errand.server.process..", "io.errand.server.git")
        .check(CLASSES);
  }

  @Test
  void theClientCommandsShareNothingWithTheServer() {
    noClasses().that().resideInAPackage("io.errand.server.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("io.errand.server.config..",
            "io.errand.server.handler..", "io.errand.server.git..", "io.errand.server.serve..",
            "io.errand.server.process..", "io.errand.http..", "io.errand.spi..",
            "io.errand.sqlite..", "io.errand.postgres..")
        .check(CLASSES);
  }
}
