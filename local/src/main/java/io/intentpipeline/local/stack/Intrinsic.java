package io.intentpipeline.local.stack;

/**
 * A CloudFormation intrinsic function as written in the template: {@code !Ref X} and
 * {@code {"Ref": "X"}} both become {@code Intrinsic("Ref", "X")}; {@code !GetAtt A.B} becomes
 * {@code Intrinsic("Fn::GetAtt", ["A", "B"])}. The argument is a String, List or Map.
 */
record Intrinsic(String function, Object argument) {
  /** The long name of a short tag: {@code !Ref} is {@code Ref}, {@code !Sub} is {@code Fn::Sub}. */
  static String longName(String tag) {
    String name = tag.startsWith("!") ? tag.substring(1) : tag;
    return name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
  }
}
