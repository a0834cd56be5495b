/** The {@code lowbit} command line: one picocli subcommand per step of the flow. */
package io.lowbit.cli;
