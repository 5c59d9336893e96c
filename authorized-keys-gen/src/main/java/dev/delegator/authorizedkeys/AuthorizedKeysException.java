package dev.delegator.authorizedkeys;

/**
 * Base of the errors this package reports about authorized_keys content. Unchecked so that values
 * can be built in expressions and streams; every subtype names what is wrong and where.
 */
public abstract class AuthorizedKeysException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected AuthorizedKeysException(String message) {
        super(message);
    }
}
