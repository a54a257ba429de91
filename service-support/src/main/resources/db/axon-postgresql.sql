-- Axon's saga associations draw their ids from this sequence, in this process's schema (the connection's search
-- path). Hibernate's schema update would not make it: it takes another schema's sequence of the same name for this one.
CREATE SEQUENCE IF NOT EXISTS association_value_entry_seq START WITH 1 INCREMENT BY 50;
