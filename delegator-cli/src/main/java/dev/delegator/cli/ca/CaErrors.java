package dev.delegator.cli.ca;

import dev.delegator.ca.CaException;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;

/** The one mapping of {@link CaException} kinds to exit codes for the ca commands. */
final class CaErrors {
    private CaErrors() {}

    static UserFacingException of(String command, CaException e) {
        int code = e.kind() == CaException.Kind.INVALID_INPUT ? ExitCodes.INVALID_INPUT : ExitCodes.REFUSED;
        return new UserFacingException(code, command + ": " + e.getMessage(), e);
    }
}
