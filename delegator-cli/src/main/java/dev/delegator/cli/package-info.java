/**
 * The {@code delegator} command line: the top-level command, the exit-code table
 * ({@code ExitCodes}) and the one mapping of the libraries' exceptions to it
 * ({@code ExceptionExitCodes}), one-line errors. The only package tree that uses picocli.
 * Commands are thin: parse, call one library method, print.
 */
package dev.delegator.cli;
