"""Keys: who can read a unit's reports. A holder's passphrase-locked key, unit and custodian
keyrings, sharing and recovery, and the two-person grants that give a unit its first reader.

``urls`` → ``views_grants`` → ``views`` (the holder's key; the opened key lives in
``crypto.vault``) → ``forms`` → ``services_grants`` (no one person makes a first reader) →
``services`` (set up, unlock, share, recover) → ``sealing`` (short texts sealed to keyrings).
"""
