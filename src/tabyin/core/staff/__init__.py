"""The staff area of the shell: the staff home (my work, the apps' panels and figures), the audit
log as sentences, and the System page (the task engine's heartbeat and probe, the schedule).

One layer for now (``views``): the reads and writes it shows are the core's (``selectors``,
``work``, ``audit_text``) and the system feature's (``core/system/``).
"""
