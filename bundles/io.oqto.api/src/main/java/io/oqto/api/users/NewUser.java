package io.oqto.api.users;

import io.oqto.api.auth.Role;

/** What an operator asks for: {@code oqtoctl user create alice --email alice@example.com [--role admin]}. */
public record NewUser(String name, String email, Role role) {}
