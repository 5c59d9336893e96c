/**
 * {@code delegator run}: the picocli options of a run ({@code TargetOptions}, {@code RunSettings}),
 * turned into the caller library's {@code TargetSpec} and {@code InvocationSettings}.
 */
package dev.delegator.cli.run;
