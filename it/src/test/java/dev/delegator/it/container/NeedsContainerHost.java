package dev.delegator.it.container;

import dev.delegator.testkit.Prerequisites;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Marks a test class that starts {@link ContainerHost}s. Without a Docker daemon, locally, every
 * test of the class is reported as skipped with the reason (an assumption failing in
 * {@code @BeforeAll} would make the reports count zero tests instead). With {@code CI=true} the
 * class runs regardless, and {@link HostImage#require()} fails it. The tag {@value #TAG} selects these
 * classes for the second matrix leg (it/pom.xml runs them again against the Debian 13 image).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(NeedsContainerHost.TAG)
@ExtendWith(NeedsContainerHost.Condition.class)
public @interface NeedsContainerHost {
    /** The JUnit tag of every container test class. */
    String TAG = "container";

    /** Disables the class locally when no Docker daemon answers. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Prerequisites.inCi()) {
                return ConditionEvaluationResult.enabled("CI: a missing Docker daemon or image fails the tests");
            }
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.disabled("no Docker daemon (start one: dockerd >/var/log/dockerd.log 2>&1 &)");
            }
            if (!HostImage.exists(HostImage.name())) {
                return ConditionEvaluationResult.disabled("no container host image " + HostImage.name()
                        + " (build it: it/image/build-image.sh --suite " + HostImage.suite().codename() + ")");
            }
            return ConditionEvaluationResult.enabled("Docker and the image are there");
        }
    }
}
