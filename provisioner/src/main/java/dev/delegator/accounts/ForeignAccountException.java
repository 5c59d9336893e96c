package dev.delegator.accounts;

/** An account exists that delegator did not create; delegator never modifies or removes it. */
public class ForeignAccountException extends RuntimeException {
    public ForeignAccountException(String message) {
        super(message);
    }
}
