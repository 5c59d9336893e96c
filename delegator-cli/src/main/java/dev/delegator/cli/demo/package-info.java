/**
 * {@code delegator demo}: parses the options and runs {@code dev.delegator.demo}.
 */
package dev.delegator.cli.demo;
