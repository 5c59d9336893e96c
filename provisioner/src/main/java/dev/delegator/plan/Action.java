package dev.delegator.plan;

/** What a change does, with the sign plan prints ({@code terraform plan}-style). */
public enum Action {
    CREATE("+"), UPDATE("~"), REMOVE("-");

    private final String sign;

    Action(String sign) {
        this.sign = sign;
    }

    public String sign() {
        return sign;
    }
}
