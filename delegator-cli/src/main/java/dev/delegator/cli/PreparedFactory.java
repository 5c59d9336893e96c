package dev.delegator.cli;

import dev.delegator.cli.agent.CallContext;
import dev.delegator.client.ClientPreparation;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Builds picocli's command objects, handing the SSH client being prepared to those that take one
 * (a constructor with {@link ClientPreparation} and {@link CallContext} parameters: run, hook git, hook hg),
 * with where their input and output are. Passed down
 * this way rather than through a static, so nothing outside the command line it belongs to can take it.
 */
final class PreparedFactory implements CommandLine.IFactory {
    private final ClientPreparation preparation;
    private final CallContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    PreparedFactory(ClientPreparation preparation, CallContext context) {
        this.preparation = preparation;
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        Constructor<K> withPreparation;
        try {
            withPreparation = cls.getConstructor(ClientPreparation.class, CallContext.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
        return withPreparation.newInstance(preparation, context);
    }
}
