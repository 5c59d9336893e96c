package dev.delegator.localsshd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenSshVersionTest {

    @Test
    void readsTheBannersOfDebian12And13() {
        // as sshd -V prints them on Debian 12 and Debian 13
        assertEquals(new OpenSshVersion(9, 2), OpenSshVersion.parse("OpenSSH_9.2p1 Debian-2+deb12u7, OpenSSL 3.0.17 1 Jul 2025"));
        assertEquals(new OpenSshVersion(9, 2), OpenSshVersion.parse("OpenSSH_9.2, OpenSSL 3.0.19 27 Jan 2026"));
        assertEquals(new OpenSshVersion(10, 0), OpenSshVersion.parse("OpenSSH_10.0p2 Debian-7+deb13u4, OpenSSL 3.5.9 29 Sep 2026"));
    }

    @Test
    void penaltiesStartWith98AndTenIsNewerThanNine() {
        assertFalse(new OpenSshVersion(9, 2).hasPerSourcePenalties());
        assertFalse(new OpenSshVersion(9, 7).hasPerSourcePenalties());
        assertTrue(new OpenSshVersion(9, 8).hasPerSourcePenalties());
        assertTrue(new OpenSshVersion(10, 0).hasPerSourcePenalties(), "10.0 compares as a number, not as text");
    }

    @Test
    void aBannerWithoutAVersionIsRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenSshVersion.parse("sshd: illegal option -- V\n"));
        assertEquals("no OpenSSH version in \"sshd: illegal option -- V\"", e.getMessage());
    }

    @Test
    void theInstalledSshdHasAVersion() {
        OpenSshVersion v = OpenSshVersion.ofSshd(LocalSshd.binary().toString());
        assertTrue(v.atLeast(new OpenSshVersion(9, 2)), v::toString);
    }
}
