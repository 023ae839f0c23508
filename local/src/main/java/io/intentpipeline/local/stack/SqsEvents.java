package io.intentpipeline.local.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * What Lambda's SQS event source mapping does with the messages it received: the event it sends
 * the function, and the deletes after the function answered.
 */
public final class SqsEvents {
  private SqsEvents() {}

  /**
   * The SQS event Lambda's event source mapping sends for {@code batch}, received from the queue
   * {@code queueArn}: one record per message with its id, receipt handle, body, system and message
   * attributes, MD5 and source. Used by the local stack's event sources and by the tests that
   * drive a function as the mapping does.
   */
  public static ObjectNode lambdaEvent(List<Message> batch, String queueArn) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : batch) {
      ObjectNode record = records.addObject();
      record.put("messageId", m.messageId());
      record.put("receiptHandle", m.receiptHandle());
      record.put("body", m.body());
      ObjectNode attributes = record.putObject("attributes");
      m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
      ObjectNode messageAttributes = record.putObject("messageAttributes");
      for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
        ObjectNode value = messageAttributes.putObject(a.getKey());
        if (a.getValue().stringValue() != null) {
          value.put("stringValue", a.getValue().stringValue());
        }
        if (a.getValue().binaryValue() != null) {
          value.put("binaryValue", a.getValue().binaryValue().asByteArray());
        }
        value.putArray("stringListValues");
        value.putArray("binaryListValues");
        value.put("dataType", a.getValue().dataType());
      }
      record.put("md5OfBody", m.md5OfBody());
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", queueArn);
      record.put("awsRegion", Resolver.REGION);
    }
    return event;
  }

  /**
   * Deletes the messages of {@code batch} whose ids are not in {@code failed} (those the function
   * reported in batchItemFailures come back after their visibility timeout), ten per request.
   * Returns how many deletes succeeded: one whose receipt has expired fails harmlessly, the
   * message being back in the queue, as in Lambda.
   */
  public static int deleteAllBut(SqsClient sqs, String queueUrl, List<Message> batch, Set<String> failed) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (Message m : batch) {
      if (!failed.contains(m.messageId())) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
            .receiptHandle(m.receiptHandle()).build());
      }
    }
    int deleted = 0;
    for (int i = 0; i < entries.size(); i += 10) {
      var chunk = entries.subList(i, Math.min(entries.size(), i + 10));
      deleted += sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk)).successful().size();
    }
    return deleted;
  }
}
