/**
 * Build-time generators of what the Debian package and the tarball ship besides the jar: the shell
 * completion script, from the same picocli model as {@code --help} (as the man pages are), so
 * neither can drift from the commands. Uses the CLI's model only; nothing here runs on a host.
 */
package dev.delegator.packaging;
