//! Operations → the `Client` and its async methods.
//!
//! A method validates its inputs, builds a runtime `Request`, sends it through
//! the `Transport` (which owns auth, retries and logging) and decodes the
//! response by status. Paged operations also get a `_stream` method that walks
//! every page through the runtime's pager.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::{body_type, param_type};
use super::types::{constraint_checks, resolved};
use super::{doc_attrs, ident, lit, type_tokens};
use crate::ir::{
    Api, Body, Operation, Paging, Param, ParamLocation, PathPart, QueryStyle, ResponseBody,
    Success, TypeKind, TypeRef, Waiter,
};
use crate::normalize::unraw;

/// The client struct.
pub(super) fn emit_struct(api: &Api, _: usize) -> TokenStream {
    let title = if api.title.is_empty() {
        "the API".to_string()
    } else {
        api.title.clone()
    };
    let version = if api.version.is_empty() {
        String::new()
    } else {
        format!(" (spec version {})", api.version)
    };
    let doc = format!(" A client for {title}{version}.");
    quote! {
        #[doc = #doc]
        ///
        /// Every method sends through the [`rt::Transport`] the client was made
        /// with, which owns the base URL, authentication, retries and timeouts.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: rt::Transport,
        }
    }
}

/// The attributes of `impl Client`: lints that a generated API cannot avoid, each
/// allowed with its reason.
pub(super) fn impl_attributes() -> TokenStream {
    quote! {
        #[allow(
            clippy::result_large_err,
            reason = "rt::Error carries the response body; a Box would cost every caller an allocation"
        )]
        #[allow(
            clippy::too_many_arguments,
            reason = "a method takes each required parameter of its operation as an argument, as the spec lists them"
        )]
    }
}

/// The methods of operation `index` (in a tag module of a split crate).
pub(super) fn emit_operation_member(api: &Api, index: usize) -> TokenStream {
    emit_operation(api, &api.operations[index])
}

/// Member `index` of `impl Client`: 0 is what every client has, then each operation's
/// methods.
pub(super) fn emit_member(api: &Api, index: usize) -> TokenStream {
    let Some(op) = index.checked_sub(1).and_then(|i| api.operations.get(i)) else {
        let base_path = lit(&api.base_path);
        return quote! {
            /// The path the API is served under; a transport's base URL is a
            /// host's URL followed by this path.
            pub const BASE_PATH: &'static str = #base_path;

            /// A client that sends its requests through `transport`.
            pub fn new(transport: rt::Transport) -> Self {
                Client { transport }
            }

            /// The transport, for requests this client does not model.
            pub fn transport(&self) -> &rt::Transport {
                &self.transport
            }
        };
    };
    emit_operation(api, op)
}

/// The inputs a method takes, in order, as `name: type`.
fn arguments(api: &Api, op: &Operation) -> Vec<TokenStream> {
    arguments_living(api, op, &TokenStream::new())
}

/// [`arguments`], every reference living for `lifetime` (`'a`; empty for elided).
fn arguments_living(api: &Api, op: &Operation, lifetime: &TokenStream) -> Vec<TokenStream> {
    let lt = lifetime;
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.positional) {
        let name = ident(&p.name);
        let ty = argument_type(api, p, lt);
        args.push(quote! { #name: #ty });
    }
    match &op.body {
        Some(Body::Json(t)) => {
            let ty = match t {
                TypeRef::List(inner) => {
                    let inner = type_tokens(api, inner, false);
                    quote! { & #lt [#inner] }
                }
                other => {
                    let ty = type_tokens(api, other, false);
                    quote! { & #lt #ty }
                }
            };
            args.push(quote! { body: #ty });
        }
        Some(Body::Multipart(_) | Body::Form(_)) => {
            if let Some(form) = &op.form_type {
                let form = ident(form);
                args.push(quote! { form: & #lt operations::#form });
            }
        }
        Some(Body::Binary(_)) => args.push(quote! { body: rt::Bytes }),
        None => {}
    }
    if let Some(params) = &op.params_type {
        let params = ident(params);
        args.push(quote! { params: & #lt operations::#params });
    }
    args
}

fn argument_type(api: &Api, p: &Param, lt: &TokenStream) -> TokenStream {
    match &p.ty {
        TypeRef::String => quote! { & #lt str },
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool => param_type(api, p),
        TypeRef::List(item) if p.style != QueryStyle::Pairs => {
            let item = type_tokens(api, item, false);
            quote! { & #lt [#item] }
        }
        _ => {
            let ty = param_type(api, p);
            quote! { & #lt #ty }
        }
    }
}

/// The success type a method returns inside `rt::Response`.
fn success_type(api: &Api, op: &Operation) -> TokenStream {
    match (&op.success, &op.response_type) {
        (Success::Single(body), _) => body_type(api, body),
        (Success::Optional(body), _) => {
            let ty = body_type(api, body);
            quote! { Option<#ty> }
        }
        (Success::Enum, Some(name)) => {
            let name = ident(name);
            quote! { operations::#name }
        }
        (Success::Enum, None) => quote! { () },
    }
}

fn emit_operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let docs = doc_attrs(&op.docs);
    let signature = format!(" `{} {}`", op.method, op.path);
    let args = arguments(api, op);
    let names = argument_names(op);
    let success = success_type(api, op);
    let error = type_tokens(api, &op.error, false);
    let build = build_request(api, op);
    let decode = decode(api, op);
    let builder = ident(&op.builder);
    let stream = match (&op.paging, &op.stream) {
        (Some(paging), Some(stream)) => Some(emit_stream(api, op, paging, stream, &args)),
        _ => None,
    };
    let waiters = op.waiters.iter().map(|w| emit_waiter(api, op, w));
    let doc_sep = op.docs.text.is_some().then(|| quote! { #[doc = ""] });
    let builder_doc = format!(
        " The request [`Self::{}`] sends, its inputs checked, without sending it: to preview it \
         ([`rt::Request::preview`]) or to send it with [`rt::Transport::send`].",
        unraw(&op.name)
    );
    quote! {
        #docs
        #doc_sep
        #[doc = #signature]
        pub fn #name(&self, #(#args),*) -> impl std::future::Future<Output = Result<rt::Response<#success>, rt::Error<#error>>> + '_ {
            // The types come from the return type.
            rt::call(&self.transport, Self::#builder(#(#names),*), |response| #decode)
        }

        #[doc = #builder_doc]
        pub fn #builder(#(#args),*) -> Result<rt::Request, rt::Error<#error>> {
            #build
            Ok(request)
        }

        #stream
        #(#waiters)*
    }
}

/// `wait_until_<name>`: polls the operation through the declared rule.
fn emit_waiter(api: &Api, op: &Operation, w: &Waiter) -> TokenStream {
    let method = ident(&w.method);
    let constant = ident(&w.constant);
    let name = ident(&op.name);
    let lifetime = quote! { 'a };
    let args = arguments_living(api, op, &lifetime);
    let names = argument_names(op);
    let success = success_type(api, op);
    let error = type_tokens(api, &op.error, false);
    let list = |values: &[String]| {
        let shown: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        match shown.as_slice() {
            [one] => one.clone(),
            _ => format!("one of {}", shown.join(", ")),
        }
    };
    let mut doc = format!(
        " Waits until `{} {}` says the work is done: {} is {}",
        op.method,
        op.path,
        w.state
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(" (or "),
        list(&w.success)
    );
    if w.state.len() > 1 {
        doc.push_str(&")".repeat(w.state.len() - 1));
    }
    doc.push('.');
    if !w.failure.is_empty() {
        doc.push_str(&format!(" {} end it as failed", list(&w.failure)));
        if w.unknown_is_failure {
            doc.push_str(", and so does any value not declared");
        }
        doc.push('.');
    }
    let detail = format!(
        " The waiter `{}` the spec declares ([`waiters::{}`]): `options` are its pauses and deadline \
         when `None`; `on_progress` sees each answer that is still pending. A poll that fails for \
         a passing reason is repeated within the deadline.",
        w.name, w.constant
    );
    let docs = doc_attrs(&w.docs);
    let sep = w.docs.text.is_some().then(|| quote! { #[doc = ""] });
    quote! {
        #docs
        #sep
        #[doc = #doc]
        #[doc = ""]
        #[doc = #detail]
        pub fn #method<'a>(
            &'a self,
            #(#args,)*
            options: Option<rt::wait::WaitOptions>,
            on_progress: impl FnMut(&rt::wait::Progress) + 'a,
        ) -> impl std::future::Future<Output = Result<rt::waiter::Finished<#success>, rt::wait::WaitError<#error>>> + 'a {
            let rule = &waiters::#constant;
            rt::waiter::declared(rule, move || self.#name(#(#names),*), options.unwrap_or_else(|| rule.options()), on_progress)
        }
    }
}

/// The `waiters` module's constants for operation `index`.
pub(super) fn emit_rules(api: &Api, index: usize) -> TokenStream {
    let op = &api.operations[index];
    let rules = op.waiters.iter().map(|w| {
        let constant = ident(&w.constant);
        let name = lit(&w.name);
        let operation = lit(unraw(&op.name));
        let strings = |values: &[String]| {
            let values = values.iter().map(|v| lit(v));
            quote! { &[#(#values),*] }
        };
        let option = |value: &Option<String>| match value {
            Some(v) => {
                let v = lit(v);
                quote! { Some(#v) }
            }
            None => quote! { None },
        };
        let (state, success, failure, pending) = (
            strings(&w.state),
            strings(&w.success),
            strings(&w.failure),
            strings(&w.pending),
        );
        let unknown = w.unknown_is_failure;
        let (progress, detail, messages) =
            (option(&w.progress), option(&w.detail), option(&w.messages));
        let (interval, max_interval, timeout) = (w.interval_ms, w.max_interval_ms, w.timeout_s);
        let doc = format!(
            " The waiter `{}`, polling `{} {}`.",
            w.name, op.method, op.path
        );
        quote! {
            #[doc = #doc]
            pub const #constant: rt::waiter::Rule = rt::waiter::Rule {
                name: #name,
                operation: #operation,
                state: #state,
                success: #success,
                failure: #failure,
                pending: #pending,
                unknown_is_failure: #unknown,
                progress: #progress,
                detail: #detail,
                messages: #messages,
                interval: std::time::Duration::from_millis(#interval),
                max_interval: std::time::Duration::from_millis(#max_interval),
                timeout: std::time::Duration::from_secs(#timeout),
            };
        }
    });
    quote! { #(#rules)* }
}

fn argument_names(op: &Operation) -> Vec<proc_macro2::Ident> {
    let mut names: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.positional)
        .map(|p| ident(&p.name))
        .collect();
    match &op.body {
        Some(Body::Json(_) | Body::Binary(_)) => names.push(format_ident!("body")),
        Some(Body::Multipart(_) | Body::Form(_)) if op.form_type.is_some() => {
            names.push(format_ident!("form"))
        }
        _ => {}
    }
    if op.params_type.is_some() {
        names.push(format_ident!("params"));
    }
    names
}

/// Statements that validate the inputs and leave the request in `request`.
fn build_request(api: &Api, op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let operation = lit(unraw(&op.name));
    let mut out = TokenStream::new();

    // Checks first: nothing is sent when an input is invalid.
    for p in &op.params {
        if p.constraints.is_empty() || p.style == QueryStyle::Pairs {
            continue;
        }
        let value = ident(&p.name);
        let wire = lit(&p.wire_name);
        let by_value = matches!(p.ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
        let checks = constraint_checks(&p.constraints, resolved(api, &p.ty), &wire, false);
        if checks.is_empty() {
            continue;
        }
        if p.positional {
            let bind = if by_value {
                quote! { &#value }
            } else {
                quote! { #value }
            };
            out.extend(quote! { { let value = #bind; #checks } });
        } else {
            out.extend(quote! { if let Some(value) = &params.#value { #checks } });
        }
    }
    if let Some(Body::Json(TypeRef::Named(id))) = &op.body {
        if !matches!(api.types[id.0].kind, TypeKind::Alias(_)) {
            out.extend(quote! { rt::Validate::validate(body)?; });
        }
    }

    let path = path_expression(api, op);
    let changes_later = op.body.is_some()
        || !op.fixed_query.is_empty()
        || op.params.iter().any(|p| p.location != ParamLocation::Path);
    let binding = if changes_later {
        quote! { let mut request }
    } else {
        quote! { let request }
    };
    out.extend(
        quote! { #binding = rt::Request::new(rt::Method::#method, #path).operation(#operation); },
    );
    for (name, value) in &op.fixed_query {
        out.extend(quote! { request = request.query(#name, #value); });
    }
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        out.extend(add_param(api, op, p));
    }
    match &op.body {
        Some(Body::Json(_)) => out.extend(quote! { request = request.json(body); }),
        Some(Body::Binary(media)) => out.extend(quote! { request = request.body(#media, body); }),
        Some(Body::Multipart(fields)) => {
            let parts = fields.iter().map(|f| {
                let field = ident(&f.name);
                let wire = lit(&f.wire_name);
                let add = match resolved(api, &f.ty) {
                    TypeRef::Bytes => quote! { parts = parts.file(#wire, #wire, value.clone()); },
                    // Several files under one name, each a part of its own.
                    TypeRef::List(item) if **item == TypeRef::Bytes => quote! {
                        for file in value {
                            parts = parts.file(#wire, #wire, file.clone());
                        }
                    },
                    other => {
                        let text = form_text(api, other);
                        quote! { parts = parts.text(#wire, #text); }
                    }
                };
                if f.required {
                    quote! { { let value = &form.#field; #add } }
                } else {
                    quote! { if let Some(value) = &form.#field { #add } }
                }
            });
            out.extend(quote! {
                let mut parts = rt::Multipart::new();
                #(#parts)*
                request = request.multipart(parts);
            });
        }
        Some(Body::Form(fields)) => {
            let pairs = fields.iter().map(|f| {
                let field = ident(&f.name);
                let wire = lit(&f.wire_name);
                let ty = resolved(api, &f.ty);
                let push = if f.deep || is_structured(api, ty) {
                    // Objects and lists nest as `name[key]=value` (the form encoding of
                    // Stripe-like APIs, and OpenAPI's `deepObject`).
                    quote! { fields.extend(rt::pairs(#wire, value, true)); }
                } else {
                    let text = form_text(api, ty);
                    quote! { fields.push((#wire.to_string(), #text)); }
                };
                if f.required {
                    quote! { { let value = &form.#field; #push } }
                } else {
                    quote! { if let Some(value) = &form.#field { #push } }
                }
            });
            out.extend(quote! {
                let mut fields = Vec::new();
                #(#pairs)*
                request = request.form(fields);
            });
        }
        None => {}
    }
    out
}

/// The path from its template: `format!`-free when it has no parameters.
fn path_expression(api: &Api, op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    for part in &op.template {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Param(index) => {
                template.push_str("{}");
                let p = &op.params[*index];
                let v = ident(&p.name);
                args.push(match resolved(api, &p.ty) {
                    TypeRef::String => quote! { rt::encode_path(#v) },
                    _ => quote! { rt::encode_path(&#v.to_string()) },
                });
            }
        }
    }
    if template.is_empty() {
        template.push('/');
    }
    if args.is_empty() {
        quote! { #template }
    } else {
        quote! { format!(#template, #(#args),*) }
    }
}

/// The text of a form field `value: &T`.
fn form_text(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(id) if matches!(api.types[id.0].kind, TypeKind::Enum(_)) => {
            quote! { value.to_string() }
        }
        _ => text_joined(ty, ','),
    }
}

/// The text form of `value: &T`, a list's items joined by `separator`.
fn text_joined(ty: &TypeRef, separator: char) -> TokenStream {
    match ty {
        TypeRef::Secret => quote! { value.expose().to_string() },
        TypeRef::DateTime => quote! { value.to_rfc3339() },
        TypeRef::List(inner) => {
            let separator = separator.to_string();
            let item = if uses_text(inner) {
                quote! { rt::text }
            } else {
                let item = item_text(inner);
                quote! { |item| #item }
            };
            quote! { value.iter().map(#item).collect::<Vec<_>>().join(#separator) }
        }
        ty if has_display(ty) => quote! { value.to_string() },
        _ => quote! { rt::text(value) },
    }
}

/// The text of one list item `item: &T`.
fn item_text(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::DateTime => quote! { item.to_rfc3339() },
        TypeRef::Secret => quote! { item.expose().to_string() },
        ty if has_display(ty) => quote! { item.to_string() },
        _ => quote! { rt::text(item) },
    }
}

/// Whether values of the type are objects, or lists of them.
fn is_structured(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) | TypeRef::Any => true,
        TypeRef::List(item) => is_structured(api, resolved(api, item)),
        TypeRef::Named(id) => matches!(
            api.types[id.0].kind,
            TypeKind::Struct(_) | TypeKind::Union(_)
        ),
        _ => false,
    }
}

/// Whether an item's text is `rt::text(item)`.
fn uses_text(ty: &TypeRef) -> bool {
    !matches!(ty, TypeRef::DateTime | TypeRef::Secret) && !has_display(ty)
}

/// Whether the type's `Display` is its text on the wire (strings, numbers, booleans,
/// and the generated string enums).
fn has_display(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool
    )
}

/// The value `value: &T` as a query or header value: anything `Display`
/// goes as it is.
fn display_of(api: &Api, ty: &TypeRef, separator: char) -> TokenStream {
    match ty {
        TypeRef::Named(id) if matches!(api.types[id.0].kind, TypeKind::Enum(_)) => quote! { value },
        ty if has_display(ty) => quote! { value },
        _ => text_joined(ty, separator),
    }
}

fn add_param(api: &Api, op: &Operation, p: &Param) -> TokenStream {
    let wire = lit(&p.wire_name);
    let field = ident(&p.name);
    let operation = lit(unraw(&op.name));
    let add = match (p.location, p.style) {
        (_, QueryStyle::Pairs) => {
            return quote! {
                for (name, value) in &params.#field {
                    request = request.query(name, value);
                }
            };
        }
        (ParamLocation::Header, _) => {
            let text = display_of(api, resolved(api, &p.ty), ',');
            quote! { request = request.header(#wire, #text); }
        }
        (_, QueryStyle::Repeated) => match resolved(api, &p.ty) {
            TypeRef::List(item) => {
                let item = item_text(item);
                quote! {
                    for item in value {
                        request = request.query(#wire, #item);
                    }
                }
            }
            other => {
                let text = display_of(api, other, ',');
                quote! { request = request.query(#wire, #text); }
            }
        },
        (_, QueryStyle::DeepObject | QueryStyle::Exploded) => {
            let deep = p.style == QueryStyle::DeepObject;
            quote! {
                for (name, text) in rt::pairs(#wire, value, #deep) {
                    request = request.query(&name, text);
                }
            }
        }
        (_, QueryStyle::Json) => quote! {
            let text = serde_json::to_string(value).map_err(|e| rt::Error::InvalidRequest {
                operation: #operation.to_string(),
                message: format!("{}: {e}", #wire),
            })?;
            request = request.query(#wire, text);
        },
        (_, QueryStyle::Plain(separator)) => {
            let text = display_of(api, resolved(api, &p.ty), separator);
            quote! { request = request.query(#wire, #text); }
        }
    };
    // `select` defaults to every field of the returned model.
    if let (Some(model), "select", false) = (op.select_all, p.wire_name.as_str(), p.positional) {
        let model = type_tokens(api, &TypeRef::Named(model), false);
        return quote! {
            request = request.query(#wire, params.#field.as_deref().unwrap_or(#model::FIELDS));
        };
    }
    if p.positional {
        // Positional: plain values are taken by value, the rest by reference.
        let by_value = matches!(
            p.ty,
            TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool
        );
        let value = if by_value {
            quote! { &#field }
        } else {
            quote! { #field }
        };
        quote! {
            {
                let value = #value;
                #add
            }
        }
    } else {
        quote! {
            if let Some(value) = &params.#field {
                #add
            }
        }
    }
}

/// The `match` on the status that turns the raw response into the result.
/// Statuses that decode alike share an arm.
fn decode(api: &Api, op: &Operation) -> TokenStream {
    if op.responses.is_empty() {
        return quote! {
            match response.status() {
                200..=299 => response.empty(),
                _ => Err(response.error()),
            }
        };
    }
    let arms = merge_arms(api, op, &op.success);
    quote! {
        match response.status() {
            #arms
            _ => Err(response.error()),
        }
    }
}

fn merge_arms(api: &Api, op: &Operation, shape: &Success) -> TokenStream {
    if let Success::Single(body) = shape {
        let statuses = status_patterns(op.responses.iter().map(|r| r.status));
        let decode = decoder(body);
        return quote! { #(#statuses)|* => response.#decode(), };
    }
    let mut out = TokenStream::new();
    for r in &op.responses {
        let status = proc_macro2::Literal::u16_unsuffixed(r.status);
        // One runtime call per arm that decodes and wraps (`json_into(Some)`), rather than
        // `json()` plus two `map`s: each generic helper is compiled once per type it meets.
        let wrap = match (shape, &op.response_type) {
            (Success::Enum, Some(enum_name)) => {
                let enum_name = ident(enum_name);
                let variant = ident(&r.variant);
                quote! { operations::#enum_name::#variant }
            }
            _ => quote! { Some },
        };
        out.extend(match (shape, &r.body) {
            (Success::Optional(_), ResponseBody::Empty) => {
                quote! { #status => response.empty_as(None), }
            }
            (_, ResponseBody::Empty) => quote! { #status => response.empty_as(#wrap), },
            // A variant's constructor names the body type; through `Some` it is named here.
            (Success::Enum, ResponseBody::Json(_)) => {
                quote! { #status => response.json_into(#wrap), }
            }
            (_, ResponseBody::Json(_)) => {
                let ty = body_type(api, &r.body);
                quote! { #status => response.json_into::<#ty, _, _>(#wrap), }
            }
            (_, body) => {
                let decode = format_ident!("{}_into", decoder(body));
                quote! { #status => response.#decode(#wrap), }
            }
        });
    }
    out
}

/// Match patterns for statuses: runs of consecutive codes as ranges (`200..=202`).
fn status_patterns(statuses: impl Iterator<Item = u16>) -> Vec<TokenStream> {
    let mut sorted: Vec<u16> = statuses.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for status in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == status => *end = status,
            _ => runs.push((status, status)),
        }
    }
    runs.into_iter()
        .map(|(start, end)| {
            let first = proc_macro2::Literal::u16_unsuffixed(start);
            let last = proc_macro2::Literal::u16_unsuffixed(end);
            match end - start {
                0 => quote! { #first },
                1 => quote! { #first | #last },
                _ => quote! { #first..=#last },
            }
        })
        .collect()
}

fn decoder(body: &ResponseBody) -> proc_macro2::Ident {
    match body {
        ResponseBody::Empty => format_ident!("empty"),
        // Lists are read item by item by the runtime (cheaper to compile than `Vec`'s impl).
        ResponseBody::Json(TypeRef::List(_)) => format_ident!("json_list"),
        ResponseBody::Json(_) => format_ident!("json"),
        ResponseBody::Text => format_ident!("text"),
        ResponseBody::Binary => format_ident!("bytes"),
    }
}

/// The `_stream` twin of a paged operation: every item, page by page.
fn emit_stream(
    api: &Api,
    op: &Operation,
    paging: &Paging,
    stream: &str,
    args: &[TokenStream],
) -> TokenStream {
    let builder = ident(&op.builder);
    let stream = ident(stream);
    let (max_page_size, default_order, item, limit, offset, order) = match paging {
        Paging::ContentRange {
            max_page_size,
            default_order,
            item,
            limit,
            offset,
            order,
        } => (max_page_size, default_order, item, limit, offset, order),
        Paging::NextLink {
            items,
            next,
            rel,
            item,
        } => {
            let item = type_tokens(api, item, false);
            let error = type_tokens(api, &op.error, false);
            let names = argument_names(op);
            let doc = format!(
                " Every item of `{}`, page by page: each page's items are at `{items}` and the next \
                 page is the link at `{next}` (rel `{rel}`).",
                unraw(&op.name)
            );
            return quote! {
                #[doc = #doc]
                pub fn #stream(&self, #(#args),*) -> rt::BoxStream<'static, Result<#item, rt::Error<#error>>> {
                    rt::paging::next_link(self.transport.clone(), Self::#builder(#(#names),*), #items, #next, #rel)
                }
            };
        }
    };
    let item = type_tokens(api, item, false);
    let error = type_tokens(api, &op.error, false);
    let names = argument_names(op);
    let field = |index: &Option<usize>| index.map(|i| ident(&op.params[i].name));
    let mut adjust = TokenStream::new();
    let mut page_size = quote! { #max_page_size };
    if op.params_type.is_some() {
        adjust.extend(quote! { let mut params = params.clone(); });
        // A caller's `limit` is the page size; the pager sets `offset` and `limit` itself.
        if let Some(limit) = field(limit) {
            adjust.extend(quote! {
                let page_size = params.#limit.take().and_then(|n| u32::try_from(n).ok()).unwrap_or(#max_page_size);
            });
            page_size = quote! { page_size };
        }
        if let Some(offset) = field(offset) {
            adjust.extend(quote! { params.#offset = None; });
        }
        if let (Some(default), Some(order)) = (default_order, field(order)) {
            adjust.extend(
                quote! { if params.#order.is_none() { params.#order = Some(#default.to_string()); } },
            );
        }
        adjust.extend(quote! { let params = &params; });
    }
    let doc = format!(
        " Every item of `{}`, fetched page by page in a stable order: `limit` is the page size (at most {max_page_size}), `offset` is set by the pager.",
        unraw(&op.name)
    );
    quote! {
        #[doc = #doc]
        pub fn #stream(&self, #(#args),*) -> rt::BoxStream<'static, Result<#item, rt::Error<#error>>> {
            #adjust
            rt::paging::content_range(self.transport.clone(), Self::#builder(#(#names),*), #page_size)
        }
    }
}
