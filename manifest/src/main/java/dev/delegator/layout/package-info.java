/**
 * The on-host layout: every path of DESIGN.md's table, for the system or below a test root.
 * May use: the JDK only.
 */
package dev.delegator.layout;
