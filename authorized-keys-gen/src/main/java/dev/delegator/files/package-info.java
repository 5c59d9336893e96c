/**
 * Writing the files sshd and ssh read the way JGit's LockFile does: lock, temp file beside the
 * target, fsync, owner and mode set, rename over, fsync the directory ({@code AtomicFile}); snapshots
 * to detect a concurrent change; exclusive locks. May use: the JDK only.
 */
package dev.delegator.files;
