#!/usr/bin/env python3
"""PyTorch goldens for the tensor engine (Tests/TensorTests/Goldens).

Builds a small Nature-shaped CNN (conv 8x8/4, 4x4/2, 3x3/1, two linear layers, fewer channels
so the files stay small) on a uint8 batch scaled by 1/255, and writes, as safetensors files:
  nature_weights   the initial state_dict ("0.weight", ... as nn.Sequential names them)
  nature_io        input (uint8 values as F32), actions, targets, Q-values, the Huber loss on
                   the gathered Q-values, and every parameter gradient ("grad.<name>")
  nature_steps     parameters after one and two steps of Adam, RMSProp, centred RMSProp with
                   momentum and SGD with momentum, each fed the same gradients; and the
                   gradients after clip_grad_norm_ with their pre-clip norm
  heads            actor-critic heads on logits: softmax, log-softmax, entropy, cross-entropy,
                   a policy-gradient loss, MSE, and the gradient of their combination
Run with the peers' environment (torch 2.15):
  /root/.cache/rl-anchors/bin/python scripts/torch_goldens.py
"""
import os
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TensorTests", "Goldens")
torch.manual_seed(1234)
torch.use_deterministic_algorithms(True)


def model():
    return nn.Sequential(
        nn.Conv2d(4, 8, 8, 4), nn.ReLU(),
        nn.Conv2d(8, 16, 4, 2), nn.ReLU(),
        nn.Conv2d(16, 16, 3, 1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 4))


def save(tensors, name, metadata=None):
    tensors = {k: v.detach().to(torch.float32).contiguous() for k, v in tensors.items()}
    save_file(tensors, os.path.join(OUT, name + ".safetensors"), metadata=metadata)


def nature():
    net = model()
    weights = {k: v.clone() for k, v in net.state_dict().items()}
    x_u8 = torch.randint(0, 256, (3, 4, 44, 44), dtype=torch.uint8)
    actions = torch.tensor([2, 0, 3])
    targets = torch.randn(3)
    # Spread the targets so the Huber loss uses both of its branches.
    targets[0] += 2.0
    q = net(x_u8.float() / 255.0)
    q_a = q.gather(1, actions[:, None]).squeeze(1)
    loss = F.smooth_l1_loss(q_a, targets)
    loss.backward()
    grads = {k: p.grad.clone() for k, p in net.named_parameters()}
    save(weights, "nature_weights")
    io = {"input": x_u8.float(), "actions": actions.float(), "targets": targets, "q": q,
          "loss": loss.reshape(1)}
    io.update({"grad." + k: g for k, g in grads.items()})
    save(io, "nature_io")

    steps = {}
    optimisers = {
        "adam": lambda ps: torch.optim.Adam(ps, lr=1e-3),
        "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=1e-3),
        "rmsprop_centered": lambda ps: torch.optim.RMSprop(ps, lr=1e-3, momentum=0.9, centered=True),
        "sgd": lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9),
    }
    for label, make in optimisers.items():
        copy = model()
        copy.load_state_dict(weights)
        opt = make(copy.parameters())
        for step in (1, 2):
            for k, p in copy.named_parameters():
                # The second step sees scaled gradients so the state's role is visible.
                p.grad = grads[k].clone() * (1.0 if step == 1 else -0.5)
            opt.step()
            for k, p in copy.named_parameters():
                steps[f"{label}.{step}.{k}"] = p.detach().clone()
    clipped = model()
    for k, p in clipped.named_parameters():
        p.grad = grads[k].clone()
    norm = torch.nn.utils.clip_grad_norm_(clipped.parameters(), max_norm=0.05)
    for k, p in clipped.named_parameters():
        steps["clipped." + k] = p.grad.clone()
    steps["clipped.norm"] = norm.reshape(1)
    save(steps, "nature_steps")


def heads():
    logits = (torch.randn(4, 5) * 2).requires_grad_(True)
    labels = torch.tensor([1, 4, 0, 2])
    advantages = torch.randn(4)
    values = torch.randn(4, requires_grad=True)
    returns = torch.randn(4)
    softmax = F.softmax(logits, dim=1)
    log_softmax = F.log_softmax(logits, dim=1)
    probs = softmax
    entropy = -(probs * log_softmax).sum(1).mean()
    cross_entropy = F.cross_entropy(logits, labels)
    policy = -(log_softmax.gather(1, labels[:, None]).squeeze(1) * advantages).mean()
    mse = F.mse_loss(values, returns)
    total = policy + 0.5 * mse - 0.01 * entropy + 0.25 * cross_entropy
    total.backward()
    save({"logits": logits, "labels": labels.float(), "advantages": advantages, "values": values,
          "returns": returns, "softmax": softmax, "log_softmax": log_softmax,
          "entropy": entropy.reshape(1), "cross_entropy": cross_entropy.reshape(1),
          "policy": policy.reshape(1), "mse": mse.reshape(1), "total": total.reshape(1),
          "grad.logits": logits.grad, "grad.values": values.grad}, "heads")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    nature()
    heads()
    print("wrote goldens to", os.path.normpath(OUT))
