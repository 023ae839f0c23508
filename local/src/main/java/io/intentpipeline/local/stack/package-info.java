/**
 * The local stack behind {@code ./pipeline serve}, a SAM emulator: it reads {@code template.yaml},
 * builds each function's handler with the environment the template gives it, serves the HTTP API
 * routes on 127.0.0.1, polls the SQS event sources and fires the schedules, against S3 and SQS
 * servers in the JVM and a PostgreSQL database. It implements no route itself. What other packages
 * may use: {@code LocalStack} (started and stopped by {@code local.cli}'s {@code serve} and
 * {@code demo}, and by the reliability suite), {@code TemplateException} (a template it cannot
 * serve), {@code TemplateYaml} (the template as plain values, for the deploy checks) and
 * {@code SqsEvents} (Lambda's SQS event shape, for the reliability suite). It uses nothing of
 * {@code local.cli} or {@code local.bench}.
 */
package io.intentpipeline.local.stack;
