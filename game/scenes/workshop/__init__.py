"""The facilitator's workshop screens: sessions, rounds, the hot-seat hand-over, reveal, end.

A team at the keyboard plays in the solo hub bound to its own desk (:mod:`.team_hub`).
"""
