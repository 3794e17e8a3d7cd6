<?php
// Adminer's login form for Foreman: its one server is the compose service `db`, a PostgreSQL, preselected
// with its driver, so nobody has to pick "System: PostgreSQL" by hand. Plugin API of Adminer 5 (adminer:5).
require_once('plugins/login-servers.php');

return new AdminerLoginServers(['PostgreSQL (db)' => ['server' => 'db', 'driver' => 'pgsql']]);
