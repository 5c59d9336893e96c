package dev.delegator.dispatchconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.ManifestLoader;
import org.junit.jupiter.api.Test;

class DispatchConfigTest {
    @Test
    void rendersTheDocumentedFormat() throws Exception {
        Delegation d = ManifestLoader.parse("""
                version: 1
                delegations:
                  blog:
                    caller: {user: hg}
                    delegate: {user: dlg-blog, home: /var/lib/dlg-blog}
                    hosts: [localhost]
                    verbs:
                      rollback: {run: /usr/lib/delegator/deploy/rollback}
                      deploy: {run: /usr/lib/delegator/deploy/hg-deploy, args: ['[0-9a-f]{40}']}
                      publish: {run: /usr/lib/delegator/deploy/publish, args: ['[a-z0-9][a-z0-9._-]*']}
                    sandbox: {network: none, timeout: 10m, processes: 64, memory: 512M, filesize: 1G}
                    settings: {source: /srv/hg/blog, entry: .deploy/run}
                """, "m.yaml").delegations().get(0);
        // docs/interfaces.md's example, with verbs and settings in name order
        assertEquals("""
                # written by delegator apply from /etc/delegator/delegations.yaml; do not edit
                format 1
                delegation blog
                verb deploy /usr/lib/delegator/deploy/hg-deploy
                arg deploy [0-9a-f]{40}
                verb publish /usr/lib/delegator/deploy/publish
                arg publish [a-z0-9][a-z0-9._-]*
                verb rollback /usr/lib/delegator/deploy/rollback
                sandbox network none
                sandbox timeout 600
                sandbox processes 64
                sandbox memory 536870912
                sandbox filesize 1073741824
                env DELEGATOR_ENTRY .deploy/run
                env DELEGATOR_SOURCE /srv/hg/blog
                """, DispatchConfig.render(d, "/etc/delegator/delegations.yaml"));
    }
}
