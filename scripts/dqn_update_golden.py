"""Goldens for one DQN gradient step, computed by PyTorch (the reference), for DQNTests.

Two cases on a tiny MLP Q-network (6 inputs, hidden 8, 3 actions) with a fixed minibatch:
  plain:  max target, squared error, no clipping, Adam
  full:   Double-DQN target, dueling head, Huber with importance weights, grad-norm clip, Adam
Each file holds the initial online and target weights (names as our Sequential spells them),
the batch, and the expected online weights after one step, the loss and the TD errors.

Run with the peers' environment:  /root/.cache/rl-anchors/bin/python scripts/dqn_update_golden.py
"""
import os
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DQNTests", "Goldens")
B, D, H, A = 5, 6, 8, 3


class Dueling(nn.Module):
    def __init__(self):
        super().__init__()
        self.value = nn.Linear(H, 1)
        self.advantage = nn.Linear(H, A)

    def forward(self, x):
        adv = self.advantage(x)
        return self.value(x) + adv - adv.mean(dim=1, keepdim=True)


def make(dueling):
    head = Dueling() if dueling else nn.Linear(H, A)
    return nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), head)


def case(name, dueling, double, loss_kind, clip, seed):
    torch.manual_seed(seed)
    online, target = make(dueling), make(dueling)
    obs = torch.randn(B, D)
    next_obs = torch.randn(B, D)
    actions = torch.tensor([0, 2, 1, 2, 0])
    returns = torch.randn(B)
    discounts = torch.tensor([0.99, 0.0, 0.5, 0.9801, 0.25])
    weights = torch.tensor([1.0, 0.5, 0.8, 0.3, 1.0]) if loss_kind == "huber" else torch.ones(B)
    tensors = {f"online.{k}": v.detach().clone() for k, v in online.state_dict().items()}
    tensors.update({f"target.{k}": v.detach().clone() for k, v in target.state_dict().items()})
    opt = torch.optim.Adam(online.parameters(), lr=1e-2, eps=1e-8)

    with torch.no_grad():
        next_target = target(next_obs)
        if double:
            chosen = online(next_obs).argmax(dim=1, keepdim=True)
            bootstrap = next_target.gather(1, chosen).squeeze(1)
        else:
            bootstrap = next_target.max(dim=1).values
        y = returns + discounts * bootstrap
    q = online(obs).gather(1, actions.unsqueeze(1)).squeeze(1)
    if loss_kind == "huber":
        per = F.smooth_l1_loss(q, y, reduction="none", beta=1.0)
    else:
        per = (q - y) ** 2
    loss = (weights * per).mean()
    opt.zero_grad()
    loss.backward()
    if clip > 0:
        torch.nn.utils.clip_grad_norm_(online.parameters(), clip)
    opt.step()

    tensors.update({f"expected.{k}": v.detach().clone() for k, v in online.state_dict().items()})
    tensors.update({
        "batch.observations": obs, "batch.next_observations": next_obs, "batch.actions": actions.float(),
        "batch.returns": returns, "batch.discounts": discounts, "batch.weights": weights,
        "expected_loss": loss.detach().reshape(1), "expected_td_errors": (q - y).detach(),
    })
    tensors = {k: v.contiguous().float() for k, v in tensors.items()}
    save_file(tensors, os.path.join(OUT, f"dqn_update_{name}.safetensors"),
              metadata={"dueling": str(dueling).lower(), "double": str(double).lower(), "loss": loss_kind,
                        "max_grad_norm": str(clip), "learning_rate": "0.01", "adam_eps": "1e-08"})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    case("plain", dueling=False, double=False, loss_kind="mse", clip=0.0, seed=1)
    case("full", dueling=True, double=True, loss_kind="huber", clip=0.5, seed=2)
    print("wrote", sorted(os.listdir(OUT)))
