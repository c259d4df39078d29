package org.rnn4j.bench.stability;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * {@code stability.json}: the {@link StabilityReport} as indented JSON. NaN (a cell that is not
 * defined, e.g. in E1's curves) is written as the string {@code "NaN"}, which stays valid JSON and
 * reads back as NaN.
 */
public final class StabilityJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private StabilityJson() {}

    public static String toJson(StabilityReport report) throws IOException {
        return JSON.writeValueAsString(report) + "\n";
    }

    public static StabilityReport fromJson(String json) throws IOException {
        return JSON.readValue(json, StabilityReport.class);
    }
}
