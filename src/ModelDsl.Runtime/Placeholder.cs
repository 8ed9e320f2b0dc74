namespace ModelDsl;
