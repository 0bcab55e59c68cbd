package io.errand.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code errand.http.*} settings: Errand's HTTP API and dashboard ({@code errand-http}) on
 * a port of its own, beside the application's web server.
 *
 * @param enabled whether to serve the API and dashboard (default {@code false})
 * @param bind    the address to listen on (default {@code 127.0.0.1}); an address beyond this
 *                machine needs a {@code token}
 * @param port    the port (default {@code 8081}); {@code 0} picks a free one
 * @param token   the bearer token every {@code /api} request must carry; unset for none
 */
@ConfigurationProperties("errand.http")
public record ErrandHttpProperties(@DefaultValue("false") boolean enabled,
    @DefaultValue("127.0.0.1") String bind, @DefaultValue("8081") int port, String token) {}
