package io.oqto.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [memory]} section of config.toml, as the embedded ledger reads it. */
@ObjectClassDefinition(name = "Oqto memory ledger", description = "The [memory] section of config.toml")
@interface LedgerConfig {

    @AttributeDefinition(description = "The central embeddings service (mmry-embeddings); empty: search by words only")
    String embeddingsUrl() default "";

    @AttributeDefinition(description = "Its API key by reference (file:/PATH or env:NAME); empty: none")
    String embeddingsKey() default "";

    @AttributeDefinition(description = "Rerank the best matches with the central service's /v1/rerank")
    boolean rerank() default false;
}
