//! This crate holds only integration tests (`tests/tests/`): the generated
//! clients and the runtime against the simulator over real sockets, and real
//! response bodies with their quirks. Cargo needs a target to hang them on;
//! this empty library is it. Snapshots of generated code and the full vendor
//! spec check live with the generator, in `codegen/tests/it/`.
