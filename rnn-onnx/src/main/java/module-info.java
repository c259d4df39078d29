/**
 * ONNX export of rnn4j's models ({@link org.rnn4j.onnx.OnnxExport}). The classes generated from
 * onnx.proto ({@code org.rnn4j.onnx.proto}) are the module's own: exported to protobuf-java
 * alone, whose reflection (toString, equals, TextFormat) calls their accessors.
 */
// protobuf-java is an automatic module (Automatic-Module-Name com.google.protobuf, no module-info)
@SuppressWarnings("requires-automatic")
module org.rnn4j.onnx {
    requires transitive org.rnn4j.lstm;
    requires com.google.protobuf;

    exports org.rnn4j.onnx;
    exports org.rnn4j.onnx.proto to com.google.protobuf;
}
