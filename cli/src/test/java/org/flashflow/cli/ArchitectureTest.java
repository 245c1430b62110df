package org.flashflow.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's "may not" column as rules, checked on the main classes of every module the
 * command line ships (this module sees them all). The test classes of those modules are imported
 * apart, only to know their names.
 */
class ArchitectureTest {
  /** Test classes: target/test-classes directories and *-tests.jar test jars. */
  private static final ImportOption ONLY_TESTS = location -> isTestLocation(location);

  private static JavaClasses main;
  private static Set<String> testClassNames;

  private static boolean isTestLocation(Location location) {
    return location.contains("/test-classes/")
        || location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar.*"));
  }

  @BeforeAll
  static void importClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(location -> !isTestLocation(location))
            .importPackages("org.flashflow");
    testClassNames =
        new ClassFileImporter()
            .withImportOption(ONLY_TESTS).importPackages("org.flashflow").stream()
                .map(c -> c.getName())
                .collect(Collectors.toUnmodifiableSet());
  }

  @Test
  void coordCoreImportsNoNettyJtorctlOrFiles() {
    noClasses()
        .that()
        .resideInAPackage("org.flashflow.coord.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.netty..",
            "net.freehaven.tor.control..",
            "java.nio.file..",
            "org.flashflow.torctl.client..",
            "org.flashflow.torctl.async..",
            "org.flashflow.torctl.session..")
        .because(
            "the core is tested with fakes and virtual time; torctl.model is its only tor type")
        .check(main);
  }

  @Test
  void measurerCoreImportsNoNettyOrJtorctl() {
    noClasses()
        .that()
        .resideInAPackage("org.flashflow.measurer")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.netty..",
            "net.freehaven.tor.control..",
            "org.flashflow.torctl.client..",
            "org.flashflow.torctl.async..",
            "org.flashflow.torctl.session..")
        .check(main);
  }

  @Test
  void torctlModelDoesNoIo() {
    noClasses()
        .that()
        .resideInAPackage("org.flashflow.torctl.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "net.freehaven.tor.control..",
            "io.netty..",
            "java.net..",
            "java.nio.channels..",
            "org.flashflow.torctl.client..",
            "org.flashflow.torctl.async..",
            "org.flashflow.torctl.session..")
        .check(main);
  }

  @Test
  void coordLayersOnlyLookDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("daemon")
        .definedBy("org.flashflow.coord.daemon..")
        .layer("schedule")
        .definedBy("org.flashflow.coord.schedule..")
        .layer("control")
        .definedBy("org.flashflow.coord.control..")
        .layer("v3bw")
        .definedBy("org.flashflow.coord.v3bw..")
        .layer("results")
        .definedBy("org.flashflow.coord.results..")
        .layer("measurer")
        .definedBy("org.flashflow.coord.measurer..")
        .layer("tor")
        .definedBy("org.flashflow.coord.tor..")
        .layer("core")
        .definedBy("org.flashflow.coord.core..")
        .layer("net")
        .definedBy("org.flashflow.coord.net..")
        .layer("metrics")
        .definedBy("org.flashflow.coord.metrics..")
        .whereLayer("daemon")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("schedule")
        .mayOnlyBeAccessedByLayers("daemon")
        .whereLayer("control")
        .mayOnlyBeAccessedByLayers("daemon")
        .whereLayer("measurer")
        .mayOnlyBeAccessedByLayers("daemon")
        .whereLayer("tor")
        .mayOnlyBeAccessedByLayers("daemon")
        .whereLayer("metrics")
        .mayOnlyBeAccessedByLayers("daemon")
        .whereLayer("v3bw")
        .mayOnlyBeAccessedByLayers("daemon", "schedule", "control")
        .whereLayer("results")
        .mayOnlyBeAccessedByLayers("daemon", "schedule", "v3bw")
        .whereLayer("net")
        .mayOnlyBeAccessedByLayers("daemon", "control", "measurer")
        .check(main);
  }

  @Test
  void onlyMetricsAdaptersAndWiringUsePrometheus() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.flashflow.common.metrics..",
            "org.flashflow.coord.metrics..",
            "org.flashflow.measurer.metrics..",
            "org.flashflow.coord.daemon..",
            "org.flashflow.measurer.daemon..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.prometheus..")
        .because("the cores record through the CoordMetrics and MeasurerMetrics ports")
        .check(main);
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.flashflow.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void onlyTheCommandLineImportsTheDaemons() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "org.flashflow.cli..",
            "org.flashflow.coord.daemon..",
            "org.flashflow.measurer.daemon..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.flashflow.coord.daemon..", "org.flashflow.measurer.daemon..")
        .check(main);
  }

  @Test
  void onlyTheReportDrawsCharts() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.flashflow.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.jfree..")
        .because("JFreeChart and JFreeSVG (and AWT behind them) are the report's alone")
        .check(main);
  }

  @Test
  void onlyTheCommandLineUsesTheReport() {
    noClasses()
        .that()
        .resideOutsideOfPackages("org.flashflow.cli..", "org.flashflow.report..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.flashflow.report..")
        .check(main);
  }

  @Test
  void productionNeverUsesTheEmulatedNetwork() {
    noClasses()
        .that()
        .resideOutsideOfPackages("org.flashflow.cli..", "org.flashflow.testnet..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.flashflow.testnet..")
        .check(main);
  }

  @Test
  void mainCodeNeverReachesTestOnlyCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.flashflow.bench..", "org.flashflow.systest..")
        .orShould()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "are test classes", c -> testClassNames.contains(c.getName())))
        .check(main);
  }
}
