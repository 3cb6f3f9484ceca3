package dev.suite.llm.config;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class KeyRevealRepository implements PanacheRepositoryBase<KeyReveal, String> {
}
