/**
 * The caller's audit log: one JSON line per run (who, what, where, how it ended), optionally to
 * syslog. May use: Gson's JsonWriter.
 */
package dev.delegator.audit;
