package io.checkout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.axonframework.common.IdentifierFactory;

/** The module boundaries, as rules: a service that reaches into another would fail here, not in production. */
@AnalyzeClasses(packages = "io.checkout", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule order_service_should_not_depend_on_other_services = noClasses()
            .that().resideInAPackage("io.checkout.order..")
            .should().dependOnClassesThat().resideInAnyPackage("io.checkout.product..", "io.checkout.saga..");

    @ArchTest
    static final ArchRule product_service_should_not_depend_on_other_services = noClasses()
            .that().resideInAPackage("io.checkout.product..")
            .should().dependOnClassesThat().resideInAnyPackage("io.checkout.order..", "io.checkout.saga..");

    @ArchTest
    static final ArchRule orchestrator_should_not_import_service_internals = noClasses()
            .that().resideInAPackage("io.checkout.saga..")
            .should().dependOnClassesThat().resideInAnyPackage("io.checkout.order..", "io.checkout.product..");

    @ArchTest
    static final ArchRule shared_commands_should_depend_only_on_the_jdk_and_axon_annotations = classes()
            .that().resideInAPackage("io.checkout.shared..")
            .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("io.checkout.shared..", "java..",
                    "org.axonframework.modelling.command..")
                    // New ids come from Axon's identifier factory, which the services set
                    // (TimeOrderedIdentifierFactory).
                    .or(JavaClass.Predicates.belongToAnyOf(IdentifierFactory.class)));

    @ArchTest
    static final ArchRule shared_commands_are_records_or_enums = classes()
            .that().resideInAPackage("io.checkout.shared..")
            .and().areNotAnonymousClasses().and().doNotHaveSimpleName("package-info")
            .and().doNotHaveSimpleName("Ids").and().doNotHaveSimpleName("CheckoutMetaData")
            .should().beRecords().orShould().beEnums();

    @ArchTest
    static final ArchRule service_support_should_not_know_any_service = noClasses()
            .that().resideInAPackage("io.checkout.support..")
            .should().dependOnClassesThat().resideInAnyPackage("io.checkout.order..", "io.checkout.product..",
                    "io.checkout.saga..", "io.checkout.shared..");

    /** Else the aggregate replays every event it ever had on each command: a product, one per reservation. */
    @ArchTest
    static final ArchRule aggregates_are_cached_and_snapshotted = classes()
            .that().areAnnotatedWith(org.axonframework.spring.stereotype.Aggregate.class)
            .should(new ArchCondition<JavaClass>("name the aggregate cache and the snapshot trigger") {
                @Override
                public void check(JavaClass aggregate, ConditionEvents events) {
                    var annotation = aggregate.getAnnotationOfType(org.axonframework.spring.stereotype.Aggregate.class);
                    if (!"aggregateCache".equals(annotation.cache())
                            || !"aggregateSnapshotTrigger".equals(annotation.snapshotTriggerDefinition())) {
                        events.add(SimpleConditionEvent.violated(aggregate, aggregate.getName()
                                + " has no cache or no snapshot trigger"));
                    }
                }
            });

    @ArchTest
    static final ArchRule aggregates_are_package_private = classes()
            .that().areAnnotatedWith(org.axonframework.spring.stereotype.Aggregate.class)
            .should().notBePublic();

    /**
     * Hibernate checks no entity against Bean Validation ({@code jakarta.persistence.validation.mode: none}, 0.5% of
     * the CPU a checkout): that is safe only while no entity, nor a class it embeds, carries a constraint. One that
     * needs it must switch the mode back to {@code auto}.
     */
    @ArchTest
    static final ArchRule entities_carry_no_bean_validation_constraints = noClasses()
            .that().areAnnotatedWith(jakarta.persistence.Entity.class)
            .or().areAnnotatedWith(jakarta.persistence.Embeddable.class)
            .or().areAnnotatedWith(jakarta.persistence.MappedSuperclass.class)
            .should().dependOnClassesThat().resideInAPackage("jakarta.validation..")
            .because("application.yml turns Hibernate's validation of entities off");
}
