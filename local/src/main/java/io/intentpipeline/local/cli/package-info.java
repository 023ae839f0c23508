/**
 * The command-line tool behind {@code ./pipeline}: {@link io.intentpipeline.local.cli.Main} and its
 * picocli commands ({@code serve}, {@code demo}, {@code migrate}, {@code train}, {@code evaluate},
 * {@code predict}, {@code import}), each of which parses its options, delegates to {@code shared} or
 * to the local stack, and maps failures to the tool's exit codes; {@code benchmark} is registered
 * here and lives in {@code local.bench}. What other packages may use: {@code Main} (the launcher,
 * tests, and the load benchmark's child JVM run it), {@code CliSupport}'s exit codes, errors and data
 * reading, and {@code ProjectRoot} (both for the benchmark commands). Everything else is
 * package-private.
 */
package io.intentpipeline.local.cli;
