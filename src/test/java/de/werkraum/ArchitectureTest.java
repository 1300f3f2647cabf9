package de.werkraum;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package boundaries of docs/architecture.md, enforced. */
@AnalyzeClasses(packages = "de.werkraum", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule featuresAreFreeOfCycles =
      slices().matching("de.werkraum.(account|network|db)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule accountsKnowNothingOfTheNetworkFeature =
      noClasses().that().resideInAPackage("de.werkraum.account..")
          .should().dependOnClassesThat().resideInAPackage("de.werkraum.network..");

  @ArchTest
  static final ArchRule databaseLayerKnowsNoFeature =
      noClasses().that().resideInAPackage("de.werkraum.db..")
          .should().dependOnClassesThat().resideInAnyPackage("de.werkraum.account..", "de.werkraum.network..", "de.werkraum.web..");

  @ArchTest
  static final ArchRule deltaAlgebraIsPureJava =
      com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().resideInAPackage("de.werkraum.ot..")
          .should().onlyDependOnClassesThat().resideInAnyPackage("de.werkraum.ot..", "java..");

  @ArchTest
  static final ArchRule sqlStaysInStores =
      noClasses().that().haveSimpleNameEndingWith("Routes")
          .should().dependOnClassesThat().resideInAPackage("io.vertx.sqlclient..");
}
