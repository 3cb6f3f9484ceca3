package dev.suite.llm.config;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An audit record: who revealed which config's api key, when, under which request id. */
@Entity
@Table(name = "llm_key_reveal")
public class KeyReveal {

    @Id
    @Column(name = "reveal_id", length = 36)
    public String id;

    @Column(name = "config_id", nullable = false, length = 36)
    public String configId;

    @Column(name = "owner_id", nullable = false, length = 128)
    public String ownerId;

    @Column(name = "request_id", length = 128)
    public String requestId;

    @Column(name = "revealed_at", nullable = false)
    public Instant revealedAt;
}
