package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

class CachingCommandTargetResolverTest {

    record Typed(String value) {
        @Override
        public String toString() {
            return value;
        }
    }

    /** As the shared commands are: a record whose component carries the annotation. */
    record RecordCommand(@TargetAggregateIdentifier Typed id, int quantity) {
    }

    record VersionedCommand(@TargetAggregateIdentifier String id, @TargetAggregateVersion long version) {
    }

    static class GetterCommand {
        private final String id;

        GetterCommand(String id) {
            this.id = id;
        }

        @TargetAggregateIdentifier
        String target() {
            return "via-getter-" + id;
        }
    }

    static class FieldCommand {
        @TargetAggregateIdentifier
        private final String id;
        @TargetAggregateVersion
        private final String version;

        FieldCommand(String id, String version) {
            this.id = id;
            this.version = version;
        }
    }

    record NoTarget(String id) {
    }

    private final CommandTargetResolver cached = new CachingCommandTargetResolver();
    private final CommandTargetResolver axons = AnnotationCommandTargetResolver.builder().build();

    @Test
    void resolvesEveryKindOfCommandAsAxonsResolverDoes() {
        for (Object command : new Object[] {new RecordCommand(new Typed("p-1"), 3), new RecordCommand(new Typed("p-2"), 1),
                new VersionedCommand("o-1", 7), new GetterCommand("x"), new FieldCommand("f-1", "12"),
                new FieldCommand("f-2", null)}) {
            VersionedAggregateIdentifier ours = cached.resolveTarget(GenericCommandMessage.asCommandMessage(command));
            VersionedAggregateIdentifier theirs = axons.resolveTarget(GenericCommandMessage.asCommandMessage(command));

            assertThat(ours.getIdentifierValue()).as("%s", command).isEqualTo(theirs.getIdentifierValue());
            assertThat(ours.getIdentifier()).as("%s", command).isEqualTo(theirs.getIdentifier());
            assertThat(ours.getVersion()).as("%s", command).isEqualTo(theirs.getVersion());
        }
        // The same type again reads each command's own value, not the first one's.
        assertThat(cached.resolveTarget(GenericCommandMessage.asCommandMessage(
                new RecordCommand(new Typed("p-3"), 2))).getIdentifier()).isEqualTo("p-3");
        assertThat(cached.resolveTarget(GenericCommandMessage.asCommandMessage(new GetterCommand("y")))
                .getIdentifier()).isEqualTo("via-getter-y");
    }

    @Test
    void refusesACommandThatNamesNoAggregateAsAxonsResolverDoes() {
        var command = GenericCommandMessage.asCommandMessage(new NoTarget("n-1"));
        assertThatThrownBy(() -> axons.resolveTarget(command)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cached.resolveTarget(command)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoTarget").hasMessageContaining("@TargetAggregateIdentifier");
    }

    @Test
    void refusesAVersionThatIsNoNumber() {
        var command = GenericCommandMessage.asCommandMessage(new FieldCommand("f-3", "seven"));
        assertThatThrownBy(() -> cached.resolveTarget(command)).isInstanceOf(IllegalArgumentException.class);
    }
}
