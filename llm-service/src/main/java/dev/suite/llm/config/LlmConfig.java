package dev.suite.llm.config;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One LLM provider config of one user. The api key is stored sealed, never in clear. */
@Entity
@Table(name = "llm_config")
public class LlmConfig {

    @Id
    @Column(name = "config_id", length = 36)
    public String id;

    @Column(name = "owner_id", nullable = false, length = 128)
    public String ownerId;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(nullable = false, length = 32)
    public String provider;

    @Column(name = "api_key_sealed", columnDefinition = "text")
    public String apiKeySealed;

    @Column(name = "api_key_key_id", columnDefinition = "char(8)")
    public String apiKeyKeyId;

    @Column(name = "api_key_hint", length = 8)
    public String apiKeyHint;

    @Column(name = "api_url", length = 2048)
    public String apiUrl;

    @Column(length = 200)
    public String model;

    @Column(nullable = false)
    public boolean enabled;

    /** The config's metadata object as JSON text. */
    @Column(columnDefinition = "text")
    public String metadata;

    /** The config's limits and budgets as JSON text; null when it has none. */
    @Column(columnDefinition = "text")
    public String limits;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
