package dev.imagebatch.examples.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one Jackson configuration used for every JSON this module writes. */
public final class Json {

    private Json() {
    }

    /** A mapper writing compact JSON; thread-safe once built. */
    public static ObjectMapper mapper() {
        return new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
