/**
 * Test support for every module's tests: a private OpenSSH sshd on 127.0.0.1, throwaway system
 * users, free ports, a root-owned test root outside /tmp, the OpenSSH client. Tests only.
 */
package dev.delegator.testkit;
