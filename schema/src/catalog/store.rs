//! The embedded catalog, loaded lazily: the index (product heads and every API name, about
//! 0.6 MB inflated) on first use of the catalog, each product's detail on first use of that
//! product.
//!
//! Inflated payloads are leaked on purpose: they are a process-wide cache that lives as long
//! as the process, and leaking lets every name, summary and description be a `&'static str`
//! slice of them instead of a copy.

use std::ops::Range;
use std::sync::OnceLock;

use super::format::{self, Reader};
use super::{Bound, Limits, Param};
use crate::integrations::ParamType;

pub(crate) static FILE: &[u8] = include_bytes!("../../catalog/catalog.bin");

pub(crate) struct Index {
    pub(crate) products: Vec<Product>,
    /// Every API name of every product's default version, grouped by product and sorted
    /// within a product.
    pub(crate) names: Vec<&'static str>,
    pub(crate) deprecated: Vec<bool>,
}

pub(crate) struct Product {
    pub(crate) code: &'static str,
    /// The code in ASCII lower case: how `Service:` is looked up.
    pub(crate) key: String,
    pub(crate) name: &'static str,
    pub(crate) name_zh: &'static str,
    pub(crate) version: &'static str,
    /// This product's slice of [`Index::names`].
    pub(crate) apis: Range<usize>,
    /// APIs found only in versions other than the default one, with that version.
    pub(crate) others: Vec<(&'static str, &'static str)>,
    blob: &'static [u8],
    detail: OnceLock<Option<Detail>>,
}

pub(crate) struct Detail {
    pub(crate) apis: Vec<ApiRecord>,
    pub(crate) params: Vec<Param>,
}

pub(crate) struct ApiRecord {
    pub(crate) name: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) deprecated: bool,
    pub(crate) params: Box<[u32]>,
}

impl Product {
    pub(crate) fn blob(&self) -> &'static [u8] {
        self.blob
    }

    pub(crate) fn has_detail(&self) -> bool {
        !self.blob.is_empty()
    }

    /// The product's API detail, inflated and decoded on first use. `None` when the
    /// catalog has no detail for it (or, never expected, the payload is damaged).
    pub(crate) fn detail(&self) -> Option<&Detail> {
        self.detail
            .get_or_init(|| {
                if self.blob.is_empty() {
                    return None;
                }
                let payload: &'static [u8] = Box::leak(format::inflate(self.blob)?.into_boxed_slice());
                decode_product(payload).filter(|d| d.apis.len() == self.apis.len())
            })
            .as_ref()
    }

    /// Whether the detail has already been decoded (for tests of the lazy loading).
    #[cfg(test)]
    pub(crate) fn is_loaded(&self) -> bool {
        self.detail.get().is_some()
    }
}

impl Index {
    /// The product whose code is `service`, ignoring ASCII case.
    pub(crate) fn product(&self, service: &str) -> Option<&Product> {
        let key = service.trim().to_ascii_lowercase();
        self.products.binary_search_by(|p| p.key.as_str().cmp(&key)).ok().map(|i| &self.products[i])
    }

    pub(crate) fn api_names(&self, product: &Product) -> &[&'static str] {
        self.names.get(product.apis.clone()).unwrap_or_default()
    }

    /// The position of `api` (exact) among the product's APIs.
    pub(crate) fn api_position(&self, product: &Product, api: &str) -> Option<usize> {
        self.api_names(product).binary_search(&api).ok()
    }
}

/// The index of the embedded catalog, parsed on first use.
pub(crate) fn index() -> Option<&'static Index> {
    static INDEX: OnceLock<Option<Index>> = OnceLock::new();
    INDEX.get_or_init(|| parse(FILE)).as_ref()
}

pub(crate) fn parse(file: &'static [u8]) -> Option<Index> {
    let container = format::split_container(file)?;
    let payload: &'static [u8] = Box::leak(container.index.into_boxed_slice());
    let mut r = Reader::new(payload);
    let n = r.count()?;
    if n != container.blobs.len() {
        return None;
    }
    let mut products = Vec::with_capacity(n);
    let mut names = Vec::new();
    let mut deprecated = Vec::new();
    for blob in container.blobs {
        let code = r.str()?;
        let (name, name_zh) = (r.str()?, r.str()?);
        let _style = r.str()?;
        let version = r.str()?;
        // The source's own API count; the names below are what lookups use.
        let _api_count = r.varint()?;
        let start = names.len();
        for _ in 0..r.count()? {
            names.push(r.str()?);
            deprecated.push(r.u8()? != 0);
        }
        let others = (0..r.count()?).map(|_| Some((r.str()?, r.str()?))).collect::<Option<Vec<_>>>()?;
        products.push(Product {
            code,
            key: code.to_ascii_lowercase(),
            name,
            name_zh,
            version,
            apis: start..names.len(),
            others,
            blob,
            detail: OnceLock::new(),
        });
    }
    // Lookups binary-search by key; a file that is not sorted is refused rather than misread.
    let sorted = products.windows(2).all(|w| w[0].key < w[1].key);
    (r.is_at_end() && sorted).then_some(Index { products, names, deprecated })
}

pub(crate) fn decode_product(payload: &'static [u8]) -> Option<Detail> {
    let mut r = Reader::new(payload);
    let strings: Vec<&'static str> = (0..r.count()?).map(|_| r.str()).collect::<Option<_>>()?;
    let s = |i: u32| strings.get(i as usize).copied();
    let n = r.count()?;
    let mut params: Vec<Param> = Vec::with_capacity(n);
    for _ in 0..n {
        let param = decode_schema(&mut r, &s, &params)?;
        params.push(param);
    }
    let mut apis = Vec::new();
    for _ in 0..r.count()? {
        let name = s(r.index()?)?;
        let summary = s(r.index()?)?;
        let deprecated = r.u8()? != 0;
        let ids = (0..r.count()?)
            .map(|_| r.index().filter(|i| (*i as usize) < params.len()))
            .collect::<Option<Box<[u32]>>>()?;
        apis.push(ApiRecord { name, summary, deprecated, params: ids });
    }
    r.is_at_end().then_some(Detail { apis, params })
}

fn decode_schema(
    r: &mut Reader<'static>,
    s: &impl Fn(u32) -> Option<&'static str>,
    earlier: &[Param],
) -> Option<Param> {
    let name = s(r.index()?)?;
    let ty = format::type_from_code(r.u8()?)?;
    let flags = r.varint()?;
    let has = |flag: u64| flags & flag != 0;
    let mut text = |flag: u64| -> Option<Option<&'static str>> {
        if has(flag) { Some(Some(s(r.index()?)?)) } else { Some(None) }
    };
    let description = text(format::HAS_DESCRIPTION)?.unwrap_or_default();
    let location = text(format::HAS_LOCATION)?.unwrap_or_default();
    let style = text(format::HAS_STYLE)?.unwrap_or_default();
    let format = text(format::HAS_FORMAT)?.unwrap_or_default();
    let min = text(format::HAS_MIN)?;
    let max = text(format::HAS_MAX)?;
    let mut number =
        |flag: u64| -> Option<Option<u64>> { if has(flag) { Some(Some(r.varint()?)) } else { Some(None) } };
    let min_length = number(format::HAS_MIN_LENGTH)?;
    let max_length = number(format::HAS_MAX_LENGTH)?;
    let min_items = number(format::HAS_MIN_ITEMS)?;
    let max_items = number(format::HAS_MAX_ITEMS)?;
    let pattern = if has(format::HAS_PATTERN) { Some(s(r.index()?)?) } else { None };
    let enum_values: Box<[&'static str]> = if has(format::HAS_ENUM) {
        (0..r.count()?).map(|_| s(r.index()?)).collect::<Option<_>>()?
    } else {
        Box::new([])
    };
    let child = |r: &mut Reader<'static>| earlier.get(r.index()? as usize).cloned();
    let items = if has(format::HAS_ITEMS) { Some(child(r)?) } else { None };
    let mut fields: Vec<Param> = if has(format::HAS_PROPERTIES) {
        (0..r.count()?).map(|_| child(r)).collect::<Option<_>>()?
    } else {
        Vec::new()
    };
    let item_type = items.as_ref().map(|i| i.ty);
    if let Some(items) = items
        && fields.is_empty()
    {
        // An array's element fields are what a user writes inside each list item.
        fields = items.fields.into_vec();
    }
    let bound = |text: Option<&str>, exclusive: bool| {
        text.and_then(|t| t.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .map(|value| Bound { value, exclusive })
    };
    let limits = Limits { min_length, max_length, min_items, max_items, pattern };
    Some(Param {
        name,
        ty,
        required: Some(has(format::REQUIRED)),
        description,
        enum_values,
        enum_ignore_case: false,
        minimum: bound(min, has(format::EXCLUSIVE_MIN)),
        maximum: bound(max, has(format::EXCLUSIVE_MAX)),
        default: None,
        omitted_in_practice: None,
        deprecated: has(format::DEPRECATED),
        location,
        style,
        format,
        limits: (limits != Limits::default()).then(|| Box::new(limits)),
        item_type,
        fields: fields.into_boxed_slice(),
    })
}

/// `ParamType` names as the OpenAPI writes them.
pub(crate) fn type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String => "string",
        ParamType::Integer => "integer",
        ParamType::Number => "number",
        ParamType::Boolean => "boolean",
        ParamType::Array => "array",
        ParamType::Object => "object",
        ParamType::Any => "any",
    }
}
