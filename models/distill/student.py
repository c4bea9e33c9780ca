"""The student: a BERT encoder (Hugging Face BertModel's layout and arithmetic) + a projection.

Layers are post-LayerNorm with GELU (erf), as in BERT, so the exported graph is what any BERT
export looks like. The sentence embedding is

    L2( mean over real tokens of (W h_t + b) )  ==  L2( W mean(h_t) + b )

i.e. mean pooling, a linear map from the hidden size to the teacher's 512 dimensions, and L2
normalisation. Because the projection is linear it commutes with the mean, so the ONNX graph
can apply it per token and output `last_hidden_state` [B, T, 512]: loaders then pool ("mean")
and normalise exactly as for any Hugging Face sentence-transformers BERT.

Parameter names follow Hugging Face's BertModel (embeddings.word_embeddings.weight,
encoder.layer.N.attention.self.query.weight, ...) so a state dict reads like one.
"""

import math

import torch
from torch import nn

SIZES = {
    # name: (layers, hidden, heads, intermediate)
    "2x128": (2, 128, 2, 512),
    "4x256": (4, 256, 4, 1024),
    "6x256": (6, 256, 4, 1024),
    "4x384": (4, 384, 6, 1536),
    "6x384": (6, 384, 6, 1536),
}


class Config:
    def __init__(self, size, vocab_size=30522, max_position=128, out_dims=512):
        self.size = size
        self.layers, self.hidden, self.heads, self.intermediate = SIZES[size]
        self.vocab_size = vocab_size
        self.max_position = max_position
        self.out_dims = out_dims
        self.eps = 1e-12

    def to_dict(self):
        return {"size": self.size, "layers": self.layers, "hidden": self.hidden,
                "heads": self.heads, "intermediate": self.intermediate,
                "vocab_size": self.vocab_size, "max_position": self.max_position,
                "out_dims": self.out_dims}

    def hf_config(self):
        """config.json in Hugging Face's BERT spelling (documentation for readers of the bundle)."""
        return {"architectures": ["BertModel"], "model_type": "bert",
                "vocab_size": self.vocab_size, "hidden_size": self.hidden,
                "num_hidden_layers": self.layers, "num_attention_heads": self.heads,
                "intermediate_size": self.intermediate, "hidden_act": "gelu",
                "max_position_embeddings": self.max_position, "type_vocab_size": 2,
                "layer_norm_eps": self.eps, "hidden_dropout_prob": 0.0,
                "attention_probs_dropout_prob": 0.0, "pad_token_id": 0,
                "localrec_projection": {"in": self.hidden, "out": self.out_dims,
                                        "applied": "per token, before mean pooling"}}


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden)
        self.position_embeddings = nn.Embedding(c.max_position, c.hidden)
        self.token_type_embeddings = nn.Embedding(2, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)

    def forward(self, input_ids, token_type_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = (self.word_embeddings(input_ids) + self.position_embeddings(pos)
             + self.token_type_embeddings(token_type_ids))
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.head_dim = c.heads, c.hidden // c.heads
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key = nn.Linear(c.hidden, c.hidden)
        self.value = nn.Linear(c.hidden, c.hidden)

    def forward(self, x, bias):
        b, t, _ = x.shape

        def split(y):
            return y.view(b, t, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v)
        return ctx.transpose(1, 2).reshape(b, t, self.heads * self.head_dim)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = SelfAttention(c)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(c.hidden, c.hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(c.hidden, c.intermediate)
        self.output = nn.Module()
        self.output.dense = nn.Linear(c.intermediate, c.hidden)
        self.output.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)

    def forward(self, x, bias):
        a = self.attention.output.dense(self.attention.self(x, bias))
        x = self.attention.output.LayerNorm(a + x)
        h = nn.functional.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(self.output.dense(h) + x)


class Student(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.embeddings = Embeddings(c)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([Layer(c) for _ in range(c.layers)])
        self.projection = nn.Linear(c.hidden, c.out_dims)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        # BERT's initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm.
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)

    def hidden_states(self, input_ids, attention_mask, token_type_ids):
        # The additive mask in the form HF's exports use: (1 - mask) * large negative.
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        return x

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        """Sentence embeddings [B, out_dims], L2-normalised (the training path)."""
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        h = self.hidden_states(input_ids, attention_mask, token_type_ids)
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return nn.functional.normalize(self.projection(pooled), dim=-1, eps=1e-12)

    def n_params(self):
        total = sum(p.numel() for p in self.parameters())
        emb = self.embeddings.word_embeddings.weight.numel()
        return total, emb


class ExportWrapper(nn.Module):
    """The exported graph: per-token projected states, for mean pooling + L2 outside."""

    def __init__(self, student):
        super().__init__()
        self.student = student

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.student.hidden_states(input_ids, attention_mask, token_type_ids)
        return self.student.projection(h)
