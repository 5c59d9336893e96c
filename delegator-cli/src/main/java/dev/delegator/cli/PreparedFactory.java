package dev.delegator.cli;

import dev.delegator.client.ClientPreparation;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Builds picocli's command objects, handing the SSH client being prepared to those that take one
 * (a constructor with a {@link ClientPreparation} parameter: run, hook git, hook hg). Passed down
 * this way rather than through a static, so nothing outside the command line it belongs to can take it.
 */
final class PreparedFactory implements CommandLine.IFactory {
    private final ClientPreparation preparation;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    PreparedFactory(ClientPreparation preparation) {
        this.preparation = preparation;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        Constructor<K> withPreparation;
        try {
            withPreparation = cls.getConstructor(ClientPreparation.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
        return withPreparation.newInstance(preparation);
    }
}
