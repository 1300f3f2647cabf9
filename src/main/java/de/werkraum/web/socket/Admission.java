package de.werkraum.web.socket;

import de.werkraum.account.Participant;
import java.time.Instant;

/**
 * Who a cookie lets onto {@code /ws}, and the moment its right may end by itself (a login session's idle or
 * absolute limit, a guest's session end): then the socket checks the cookie again.
 */
public record Admission(Participant participant, Instant until) {}
