package dev.delegator.plan;

/** The groups a plan's changes are shown in, in the order apply carries them out. */
public enum Category {
    USERS_AND_GROUPS("users and groups"),
    SCHEDULERS("cron and at"),
    SCRIPTS("installed scripts"),
    DISPATCH("dispatcher configs"),
    GRANTS("capability grants (sudoers)"),
    NETWORK("loopback network rules (nftables)"),
    KEYS("caller keys"),
    KNOWN_HOSTS("pinned known_hosts"),
    AUTHORIZED_KEYS("authorized_keys lines"),
    CERTIFICATES("certificate trust and principals"),
    SSHD("sshd drop-in"),
    RESOURCES("resources");

    private final String title;

    Category(String title) {
        this.title = title;
    }

    /** The heading plan prints. */
    public String title() {
        return title;
    }

    /** The JSON name: lower-case with dashes. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
